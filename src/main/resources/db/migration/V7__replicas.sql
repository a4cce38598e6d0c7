-- Work that one replica does for all of them (today: reading the restock-request gauges) is
-- leased by name. The holder renews its lease on each run; another replica takes it over only
-- once it has run out, so a replica that died hands the work on within one lease.
CREATE TABLE replica_leases (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder      VARCHAR(64)  NULL,
    lease_until TIMESTAMP(3) NULL
);
INSERT INTO replica_leases (name) VALUES ('restock-gauges');
