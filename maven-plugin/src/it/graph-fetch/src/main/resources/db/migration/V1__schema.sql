create table author (
    id     bigint primary key,
    name   text not null,
    status text not null default '${default_status}'
);

create table document (
    id        bigint primary key,
    author_id bigint not null references author (id),
    title     text not null,
    body      jsonb not null
);
create index document_author on document (author_id);
