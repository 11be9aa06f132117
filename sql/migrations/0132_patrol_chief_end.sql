-- Chiefs who leave (离任, issue 21): the row stays (their patrols keep pointing at it), marked
-- with the time they left; 0 = in office. Only chiefs in office are shown and owe patrols.
ALTER TABLE patrol_chiefs ADD COLUMN ended_at INTEGER NOT NULL DEFAULT 0;
