-- Issue 10 #5: residents who cannot tell the class report under 其他问题; the street center
-- classifies it (no default department: it stays with the street's board 民生服务).
INSERT OR IGNORE INTO event_categories(code, name, major, kind, board, department, unit,
    limit_verify, limit_dispatch, limit_handle, limit_check, self_handle, urgent)
VALUES ('9990', '其他问题', '其他', 'event', 'livelihood', '', 'wd', 1, 1, 5, 1, 0, 0);
