-- Likely duplicates at intake look for open events of one class inside a small box: with the
-- latitude next to the class the search reads the events of a narrow band, not every event of
-- the class (at the city's 10,000 events a day a class holds hundreds of thousands).
CREATE INDEX events_category_lat ON events(category, lat);
