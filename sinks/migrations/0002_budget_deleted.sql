-- A deleted budget's last version carries deleted = true.
ALTER TABLE budget_history ADD COLUMN deleted boolean NOT NULL DEFAULT false;
ALTER TABLE budgets ADD COLUMN deleted boolean NOT NULL DEFAULT false;
