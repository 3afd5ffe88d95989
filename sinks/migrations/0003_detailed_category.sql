-- The two-level taxonomy: the detailed category under category (such as
-- dining.coffee) and the confidence level (high, medium, low). Rows written
-- before it hold '' until their transaction changes again.
ALTER TABLE transactions ADD COLUMN detailed_category text NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN confidence_level text NOT NULL DEFAULT '';
