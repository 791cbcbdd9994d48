-- One database per service, owned by the peftflow user (the same names as scripts/stack.sh makes).
-- Run once by PostgreSQL's entrypoint on an empty data directory: docker-compose.yml and the local overlay.
CREATE DATABASE dataset;
CREATE DATABASE trainer;
CREATE DATABASE registry;
CREATE DATABASE gateway;
