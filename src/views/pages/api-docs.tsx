import type { UiLanguage } from "../../domain/ratings";
import { t } from "../i18n";

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

/**
 * A readable page over the generated OpenAPI document; no external scripts or styles. The
 * page around it is in the reader's language; what the document says (summaries,
 * descriptions, parameters' hints) is English, and marked so: a screen reader reading it
 * with a German voice, or a translator skipping it, would otherwise take it for German.
 */
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
				OpenAPI 3.1: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. {t(lang, "apiDocsAccess")}{" "}
				<code>Authorization: Bearer</code>. {t(lang, "apiDocsErrors")} <code>application/problem+json</code>{" "}
				(RFC 9457).
			</p>
			{lang === "en" ? null : <p class="meta">{t(lang, "apiDocsInEnglish")}</p>}
			{Object.entries(doc.paths).map(([path, methods]) =>
				Object.entries(methods).map(([method, op]) => (
					<section>
						<h2>
							<code>
								{method.toUpperCase()} {path}
							</code>
						</h2>
						<p lang="en">{op.summary}</p>
						{op.description ? (
							<p class="meta" lang="en">
								{op.description}
							</p>
						) : null}
						{op.security ? (
							<p class="meta">
								{t(lang, tokenOptional(op.security) ? "apiDocsTokenOptional" : "apiDocsToken")}
							</p>
						) : null}
						{op.parameters && op.parameters.length > 0 ? (
							<table>
								<thead>
									<tr>
										<th scope="col">{t(lang, "apiDocsParameter")}</th>
										<th scope="col">{t(lang, "apiDocsIn")}</th>
										<th scope="col">{t(lang, "apiDocsDescription")}</th>
									</tr>
								</thead>
								<tbody>
									{op.parameters.map((p) => (
										<tr>
											<td>
												<code>{p.name}</code>
												{p.required ? " *" : ""}
											</td>
											<td class="word" lang="en">
												{p.in}
											</td>
											<td lang="en">{p.description ?? schemaHint(p.schema)}</td>
										</tr>
									))}
								</tbody>
							</table>
						) : null}
						<p class="meta" lang="en">
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

/** `{}` among the alternatives: the operation may be called without a token (lib/openapi `optionalToken`). */
function tokenOptional(security: unknown[]): boolean {
	return security.some(
		(entry) => typeof entry === "object" && entry !== null && Object.keys(entry).length === 0,
	);
}

function schemaHint(schema: Record<string, unknown> | undefined): string {
	if (!schema) return "";
	if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(", ")}`;
	return typeof schema.type === "string" ? schema.type : "";
}
