-- The wide variant of the graph-fetch benchmark (issue 21): the same films on the middle level of the graph, with the
-- columns a real film table carries and a page of actors and titles does not show: a tsvector, a text[], timestamps
-- and a long text. wide_film_actor and wide_film_category relate them as film_actor and film_category do.

create table wide_film (
    id           bigint primary key,
    title        text        not null,
    release_year integer,
    rating       text,
    search       tsvector,
    tags         text[],
    synopsis     text,
    created_at   timestamptz not null default now(),
    updated_at   timestamp,
    premiered_at timestamptz
);

create table wide_film_actor (
    actor_id bigint not null references actor (id),
    film_id  bigint not null references wide_film (id),
    primary key (actor_id, film_id)
);
create index wide_film_actor_film_id_idx on wide_film_actor (film_id);

create table wide_film_category (
    film_id     bigint   not null references wide_film (id),
    category_id smallint not null references category (id),
    primary key (film_id, category_id)
);
create index wide_film_category_category_id_idx on wide_film_category (category_id);
