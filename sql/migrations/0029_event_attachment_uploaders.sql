-- Everyone who uploaded a file (issue 11 hole #3): identical bytes uploaded by two people are one
-- content-addressed file, and each of them may attach it; nobody else may link it by its hash
-- unless they can already read it through an event.
CREATE TABLE event_attachment_uploaders (
    sha      TEXT NOT NULL REFERENCES event_attachments(sha),
    username TEXT NOT NULL,
    PRIMARY KEY (sha, username)
) WITHOUT ROWID;

INSERT OR IGNORE INTO event_attachment_uploaders(sha, username)
    SELECT sha, uploaded_by FROM event_attachments WHERE uploaded_by <> '';
