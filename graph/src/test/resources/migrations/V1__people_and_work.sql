-- Parent/child: tailors with their user and their sample works.
create table users (
    id         bigint generated always as identity primary key,
    email      text        not null unique,
    name       text,
    created_at timestamptz not null default now()
);

create table tailor (
    id      bigint generated always as identity primary key,
    user_id bigint       not null references users (id),
    city    text         not null,
    rating  numeric(3, 2),
    active  boolean      not null default true
);

create table sample_work (
    id        bigint generated always as identity primary key,
    tailor_id bigint  not null references tailor (id),
    title     text    not null,
    price     numeric(10, 2),
    made_on   date,
    code      uuid    not null,
    photo     bytea,
    tags      text[]
);
create index on sample_work (tailor_id);

-- Two foreign keys to the same table; one nullable.
create table document (
    id         bigint generated always as identity primary key,
    title      text   not null,
    created_by bigint not null references users (id),
    updated_by bigint references users (id)
);

-- Self-reference with a nullable foreign key.
create table employee (
    id         integer primary key,
    name       text    not null,
    manager_id integer references employee (id)
);
