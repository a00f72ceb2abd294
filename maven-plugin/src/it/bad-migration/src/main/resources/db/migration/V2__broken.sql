alter table author add column born dat;
