-- Room for a whole page of ticket rows to be rewritten at once. An event batch applies
-- hundreds of incidents, and incidents created together sit together, so one batch rewrites
-- every row of a page; at fillfactor 80 only a fifth of them found room for their new version
-- on the page, and the rest became non-HOT updates with a new primary-key entry each
-- (bench/sla_bench.sh: 53 % of the ticket updates were HOT). At 50 every row of the page has
-- room for one new version, and the versions a batch leaves behind are pruned before the next
-- batch reaches the page. A ticket row is about 150 bytes: the table doubles, to about 300 MB
-- per million incidents. Applies to pages written from now on.
ALTER TABLE tickets SET (fillfactor = 50);
