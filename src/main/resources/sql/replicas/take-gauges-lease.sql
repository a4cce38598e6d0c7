-- Renewed by its holder on every refresh and held for three refreshes; taken by another replica
-- only once it has run out.
UPDATE replica_leases
   SET holder = :#${variable.replica},
       lease_until = TIMESTAMPADD(MICROSECOND, 3000 * :#${properties:metrics.restock-refresh-ms}, CURRENT_TIMESTAMP(3))
 WHERE name = 'restock-gauges'
   AND (holder = :#${variable.replica} OR lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3))
