-- Reserved words as table and column names.
create table "order" (
    id      bigint generated always as identity primary key,
    "user"  bigint references users (id),
    "group" text   not null,
    "select" integer
);

-- Composite primary key, referencing "order".
create table order_line (
    order_id bigint  not null references "order" (id),
    line_no  integer not null,
    quantity integer not null,
    primary key (order_id, line_no)
);

-- Composite foreign key.
create table shipment_item (
    id       bigint generated always as identity primary key,
    order_id bigint  not null,
    line_no  integer not null,
    shipped  timestamp,
    foreign key (order_id, line_no) references order_line (order_id, line_no)
);
