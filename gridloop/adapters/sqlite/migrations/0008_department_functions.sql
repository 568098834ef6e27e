-- What each department is responsible for (fire, power, gas, ...): the routing table names
-- functions, and a case goes to the departments that have its category's function.
ALTER TABLE departments ADD COLUMN functions TEXT NOT NULL DEFAULT ''; -- ';'-separated
