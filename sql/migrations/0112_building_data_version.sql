-- The building economy's data version (issue 16): every change to what the evaluation reads
-- (buildings, zones, enterprises, leases, figures, the evaluation's configuration; by an
-- import, the API, the CLI or plain SQL) bumps v, so an evaluation kept in memory for one
-- version is known stale. `instance` tells one database from another with the same version.
CREATE TABLE building_data_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    instance TEXT NOT NULL,
    v        INTEGER NOT NULL
);
INSERT INTO building_data_version (id, instance, v) VALUES (1, lower(hex(randomblob(8))), 1);

CREATE TRIGGER building_zones_version_ins AFTER INSERT ON building_zones BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_zones_version_upd AFTER UPDATE ON building_zones BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_zones_version_del AFTER DELETE ON building_zones BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER buildings_version_ins AFTER INSERT ON buildings BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER buildings_version_upd AFTER UPDATE ON buildings BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER buildings_version_del AFTER DELETE ON buildings BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_enterprises_version_ins AFTER INSERT ON building_enterprises BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_enterprises_version_upd AFTER UPDATE ON building_enterprises BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_enterprises_version_del AFTER DELETE ON building_enterprises BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_leases_version_ins AFTER INSERT ON building_leases BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_leases_version_upd AFTER UPDATE ON building_leases BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_leases_version_del AFTER DELETE ON building_leases BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_figures_version_ins AFTER INSERT ON building_figures BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_figures_version_upd AFTER UPDATE ON building_figures BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_figures_version_del AFTER DELETE ON building_figures BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_indicators_version_ins AFTER INSERT ON building_indicators BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_indicators_version_upd AFTER UPDATE ON building_indicators BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_indicators_version_del AFTER DELETE ON building_indicators BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_grades_version_ins AFTER INSERT ON building_grades BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_grades_version_upd AFTER UPDATE ON building_grades BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_grades_version_del AFTER DELETE ON building_grades BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_settings_version_ins AFTER INSERT ON building_settings BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_settings_version_upd AFTER UPDATE ON building_settings BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER building_settings_version_del AFTER DELETE ON building_settings BEGIN UPDATE building_data_version SET v = v + 1 WHERE id = 1; END;
