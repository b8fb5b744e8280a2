import type { UiLanguage } from "../../domain/ratings";
import { t } from "../desk/desk-i18n";

interface Operation {
	summary?: string;
	description?: string;
	parameters?: {
		name: string;
		in: string;
		required?: boolean;
		description?: string;
		schema?: Record<string, unknown>;
	}[];
	security?: unknown[];
	responses?: Record<string, { description?: string }>;
}

/** A readable page over the generated OpenAPI document; no external scripts or styles. */
export function ApiDocs({
	doc,
	lang,
}: {
	doc: { paths: Record<string, Record<string, Operation>> };
	lang: UiLanguage;
}) {
	return (
		<>
			<h1>{t(lang, "apiDocs")}</h1>
			<p>
				OpenAPI 3.1: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Reads are public (CORS open,
				ETag, cached); writes need <code>Authorization: Bearer</code> with a token from the desk. Errors are{" "}
				<code>application/problem+json</code> (RFC 9457).
			</p>
			{Object.entries(doc.paths).map(([path, methods]) =>
				Object.entries(methods).map(([method, op]) => (
					<section>
						<h2>
							<code>
								{method.toUpperCase()} {path}
							</code>
						</h2>
						<p>{op.summary}</p>
						{op.description ? <p class="meta">{op.description}</p> : null}
						{op.security ? <p class="meta">Bearer token required.</p> : null}
						{op.parameters && op.parameters.length > 0 ? (
							<table>
								<thead>
									<tr>
										<th scope="col">Parameter</th>
										<th scope="col">In</th>
										<th scope="col">Description</th>
									</tr>
								</thead>
								<tbody>
									{op.parameters.map((p) => (
										<tr>
											<td>
												<code>{p.name}</code>
												{p.required ? " *" : ""}
											</td>
											<td>{p.in}</td>
											<td>{p.description ?? schemaHint(p.schema)}</td>
										</tr>
									))}
								</tbody>
							</table>
						) : null}
						<p class="meta">
							{Object.entries(op.responses ?? {})
								.map(([status, r]) => `${status}: ${r.description ?? ""}`)
								.join(" · ")}
						</p>
					</section>
				)),
			)}
		</>
	);
}

function schemaHint(schema: Record<string, unknown> | undefined): string {
	if (!schema) return "";
	if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(", ")}`;
	return typeof schema.type === "string" ? schema.type : "";
}
