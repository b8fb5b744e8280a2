-- Hand-written (docs/decisions.md, "Evidence addresses by index"): verdict_evidence
-- (migration 0015) holds each evidence address of each verdict, kept by these triggers
-- from `verdicts.evidence` (a JSON array of {url, title}) whoever writes a verdict: the
-- desk, the write API, imports, a restore. Filled here from the verdicts there are.
-- `evidence` is a JSON array by its CHECK constraint; an item without a text `url` holds no address.
CREATE TRIGGER verdict_evidence_insert AFTER INSERT ON verdicts BEGIN
	INSERT OR IGNORE INTO verdict_evidence (url, verdict_id)
	SELECT json_extract(e.value, '$.url'), NEW.id
	FROM json_each(NEW.evidence) e
	WHERE e.type = 'object' AND json_type(e.value, '$.url') = 'text';
END;
--> statement-breakpoint
CREATE TRIGGER verdict_evidence_update AFTER UPDATE OF evidence ON verdicts BEGIN
	DELETE FROM verdict_evidence WHERE verdict_id = OLD.id;
	INSERT OR IGNORE INTO verdict_evidence (url, verdict_id)
	SELECT json_extract(e.value, '$.url'), NEW.id
	FROM json_each(NEW.evidence) e
	WHERE e.type = 'object' AND json_type(e.value, '$.url') = 'text';
END;
--> statement-breakpoint
CREATE TRIGGER verdict_evidence_delete AFTER DELETE ON verdicts BEGIN
	DELETE FROM verdict_evidence WHERE verdict_id = OLD.id;
END;
--> statement-breakpoint
INSERT OR IGNORE INTO verdict_evidence (url, verdict_id)
SELECT json_extract(e.value, '$.url'), v.id
FROM verdicts v, json_each(v.evidence) e
WHERE e.type = 'object' AND json_type(e.value, '$.url') = 'text';
