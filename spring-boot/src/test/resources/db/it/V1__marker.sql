create table flyway_marker (id int primary key);
insert into flyway_marker values (1);
