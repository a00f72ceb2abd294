create table author (id bigint primary key, name text not null);
