/** A verdict's evidence links, from the JSON array stored with it; anything malformed is left out. */
export function parseEvidence(json: string): { url: string; title: string }[] {
	try {
		const value: unknown = JSON.parse(json);
		if (!Array.isArray(value)) return [];
		return value.filter(
			(e): e is { url: string; title: string } =>
				typeof e === "object" && e !== null && typeof e.url === "string" && typeof e.title === "string",
		);
	} catch {
		return [];
	}
}
