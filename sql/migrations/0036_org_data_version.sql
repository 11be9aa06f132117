-- The public district data's version: every change to regions, boards, posts or departments
-- (an import, an edit, the CLI) bumps it, so responses prepared for one version are known stale.
CREATE TABLE org_data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v INTEGER NOT NULL
);
INSERT INTO org_data_version (id, v) VALUES (1, 1);

CREATE TRIGGER regions_version_ins AFTER INSERT ON regions BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER regions_version_upd AFTER UPDATE ON regions BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER regions_version_del AFTER DELETE ON regions BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER boards_version_ins AFTER INSERT ON boards BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER boards_version_upd AFTER UPDATE ON boards BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER boards_version_del AFTER DELETE ON boards BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER posts_version_ins AFTER INSERT ON posts BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER posts_version_upd AFTER UPDATE ON posts BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER posts_version_del AFTER DELETE ON posts BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER departments_version_ins AFTER INSERT ON departments BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER departments_version_upd AFTER UPDATE ON departments BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER departments_version_del AFTER DELETE ON departments BEGIN UPDATE org_data_version SET v = v + 1 WHERE id = 1; END;
