import type { UiLanguage } from "../../domain/ratings";
import { t } from "../desk/desk-i18n";

type Schema = Record<string, unknown>;

interface Operation {
	summary?: string;
	description?: string;
	parameters?: {
		name: string;
		in: string;
		required?: boolean;
		description?: string;
		schema?: Schema;
	}[];
	requestBody?: { content?: Record<string, { schema?: Schema }> };
	security?: Record<string, string[]>[];
	responses?: Record<string, { description?: string }>;
}

/**
 * A readable page over the generated OpenAPI document; no external scripts or styles. The
 * page around it is in the reader's language; what the document says (summaries,
 * descriptions, parameters' hints) is English, and marked so: a screen reader reading it
 * with a German voice, or a translator skipping it, would otherwise take it for German.
 * Served by the desk Worker only, so its words come from the desk's table.
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
						<p lang="en">{withCode(op.summary ?? "")}</p>
						{op.description ? (
							<p class="meta" lang="en">
								{withCode(op.description)}
							</p>
						) : null}
						{op.security ? <TokenLine security={op.security} lang={lang} /> : null}
						{op.parameters && op.parameters.length > 0 ? (
							<table class="fields">
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
											<td class="whole">
												<code>{nameParts(p.name)}</code>
												{p.required ? " *" : ""}
											</td>
											<td class="word" lang="en">
												{p.in}
											</td>
											<td lang="en">{withCode(p.description ?? schemaHint(p.schema))}</td>
										</tr>
									))}
								</tbody>
							</table>
						) : null}
						<BodyTable schema={op.requestBody?.content?.["application/json"]?.schema} lang={lang} />
						<p class="meta" lang="en">
							{withCode(
								Object.entries(op.responses ?? {})
									.map(([status, r]) => `${status}: ${r.description ?? ""}`)
									.join(" · "),
							)}
						</p>
					</section>
				)),
			)}
		</>
	);
}

/** Whether a token is needed, and with which scope(s): each alternative of `security` names one. */
function TokenLine({ security, lang }: { security: Record<string, string[]>[]; lang: UiLanguage }) {
	// `{}` among the alternatives: callable without a token (lib/openapi `optionalToken`).
	const optional = security.some((entry) => Object.keys(entry).length === 0);
	const scopes = [...new Set(security.flatMap((entry) => entry.bearer ?? []))];
	return (
		<p class="meta">
			{t(lang, optional ? "apiDocsTokenOptional" : "apiDocsToken")}
			{scopes.length > 0 ? (
				<>
					{" "}
					{t(lang, "apiDocsScope")}{" "}
					{scopes.map((scope, i) => (
						<>
							{i > 0 ? ` ${t(lang, "apiDocsOr")} ` : ""}
							<code>{scope}</code>
						</>
					))}
				</>
			) : null}
		</p>
	);
}

/**
 * The JSON body's top-level fields: name (* required), type, description; then what the body's
 * own description says (a PATCH's ignored read-only fields, listed there rather than as rows).
 */
function BodyTable({ schema, lang }: { schema: Schema | undefined; lang: UiLanguage }) {
	const object = schema && objectOf(schema);
	const properties = Object.entries((object?.properties ?? {}) as Record<string, Schema>).filter(
		([, field]) => field.readOnly !== true,
	);
	if (!object || properties.length === 0) return null;
	const required = new Set((object.required as string[] | undefined) ?? []);
	const description = schema.description ?? object.description;
	const oneOf = requiredAlternatives(schema);
	return (
		<>
			<BodyFields properties={properties} required={required} lang={lang} />
			{oneOf.length > 0 ? (
				<p class="meta">
					{t(lang, "apiDocsAnyOf")}{" "}
					{oneOf.map((names, i) => (
						<>
							{i > 0 ? ` ${t(lang, "apiDocsOr")} ` : ""}
							{names.map((name, j) => (
								<>
									{j > 0 ? " + " : ""}
									<code>{name}</code>
								</>
							))}
						</>
					))}
				</p>
			) : null}
			{typeof description === "string" ? (
				<p class="meta" lang="en">
					{withCode(description)}
				</p>
			) : null}
		</>
	);
}

function BodyFields({
	properties,
	required,
	lang,
}: {
	properties: [string, Schema][];
	required: Set<string>;
	lang: UiLanguage;
}) {
	return (
		<table class="fields">
			<caption>{t(lang, "apiDocsBody")}</caption>
			<thead>
				<tr>
					<th scope="col">{t(lang, "apiDocsField")}</th>
					<th scope="col">{t(lang, "apiDocsType")}</th>
					<th scope="col">{t(lang, "apiDocsDescription")}</th>
				</tr>
			</thead>
			<tbody>
				{properties.map(([name, field]) => (
					<tr>
						{/* Names and types break between words only: "nameEn", never "name En". */}
						<td class="whole">
							<code>{nameParts(name)}</code>
							{required.has(name) ? " *" : ""}
						</td>
						{/* No "word" (nowrap): an enum's values must wrap on a phone, between them. */}
						<td class="whole" lang="en">
							{dotParts(typeOf(field))}
						</td>
						<td lang="en">{withCode(fieldText(field))}</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

/** The object a body schema describes (a nullable or union body: its first object branch). */
function objectOf(schema: Schema): Schema | undefined {
	if (schema.properties) return schema;
	for (const branch of (schema.anyOf as Schema[] | undefined) ?? []) {
		const found = objectOf(branch);
		if (found) return found;
	}
	return undefined;
}

/** A field's type as a reader reads it: `string`, `string | null`, `one of a, b`, `array of object`. */
function typeOf(schema: Schema): string {
	if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(", ")}`;
	if (schema.const !== undefined) return JSON.stringify(schema.const);
	if (Array.isArray(schema.anyOf))
		return [...new Set((schema.anyOf as Schema[]).map(typeOf).filter(Boolean))].join(" | ");
	if (schema.type === "array")
		return `array of ${typeOf((schema.items as Schema | undefined) ?? {}) || "any"}`;
	if (Array.isArray(schema.type)) return schema.type.join(" | ");
	return typeof schema.type === "string" ? schema.type : "";
}

/**
 * A body's `anyOf` of required-field sets (a topic's rename: `nameEn` or `nameDe`), the
 * refinement said in the schema's terms: each set of names, when that is all a branch says.
 */
function requiredAlternatives(schema: Schema): string[][] {
	const branches = (schema.anyOf as Schema[] | undefined) ?? [];
	const sets = branches.map((branch) =>
		Object.keys(branch).length === 1 && Array.isArray(branch.required) ? (branch.required as string[]) : null,
	);
	return sets.every((set) => set !== null) ? (sets as string[][]) : [];
}

/** A field's words and its length bounds, each when it has them. */
function fieldText(schema: Schema): string {
	const bounds = boundsOf(schema);
	const description = typeof schema.description === "string" ? schema.description : "";
	return [bounds && `${bounds}.`, description].filter(Boolean).join(" ");
}

/** A field's length bounds, when it has them. */
function boundsOf(schema: Schema): string {
	const text = ((schema.anyOf as Schema[] | undefined) ?? [schema]).find((b) => b.type === "string") ?? {};
	const { minLength, maxLength } = text as { minLength?: number; maxLength?: number };
	if (maxLength === undefined) return "";
	return minLength ? `${minLength}–${maxLength} characters` : `at most ${maxLength} characters`;
}

/**
 * A name, kept whole (a `whole` cell) unless longer than a phone's column holds: then it may
 * break between its camelCase parts (`reviewPublisher|SiteFilter`) or after an underscore
 * (Google's `review_|publisher_|site_|filter`, which whole scrolled the page at 360 px), never
 * inside one.
 */
function nameParts(name: string) {
	if (name.length <= 16) return name;
	return name.split(/(?=[A-Z])|(?<=_)/).map((part, i) => (i > 0 ? [<wbr />, part] : part));
}

/** A type's words, which may break after a dot too: an event's `verdict.|published`. */
function dotParts(text: string) {
	return text.split(/(?<=\.)/).map((part, i) => (i > 0 ? [<wbr />, part] : part));
}

/** The document's Markdown `code` spans as <code>; the rest stays text. */
function withCode(text: string) {
	return text.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? <code>{part}</code> : part));
}

function schemaHint(schema: Schema | undefined): string {
	if (!schema) return "";
	if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(", ")}`;
	return typeof schema.type === "string" ? schema.type : "";
}
