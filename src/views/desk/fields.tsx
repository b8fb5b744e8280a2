import type { Child } from "hono/jsx";
import type { UiLanguage } from "../../domain/ratings";
import { t } from "./desk-i18n";
import { fieldMessage } from "./labels";

/** Errors of a form by field name; field names are the zod paths ("source.url"). */
export type FieldErrors = Record<string, string>;

export function fieldId(name: string): string {
	return `f-${name.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

interface FieldProps {
	name: string;
	label: string;
	lang: UiLanguage;
	errors: FieldErrors;
	value?: string | null | undefined;
	hint?: string;
	required?: boolean;
	type?: "text" | "email" | "password" | "url" | "date" | "search";
	autocomplete?: string;
	inputmode?: "url" | "email" | "text";
	maxlength?: number;
	/** Tells apart the same field in several forms of one page (ids must be unique). */
	idSuffix?: string;
	/**
	 * The language of what is typed in it (a claim's or a verdict's), when it is not the
	 * desk's: a screen reader and the spelling check then read it in that language.
	 */
	valueLang?: string | undefined;
}

function described(id: string, hint: boolean, error: boolean): string | undefined {
	const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
	return ids.length > 0 ? ids.join(" ") : undefined;
}

function Label(props: { id: string; label: string; required?: boolean | undefined; lang: UiLanguage }) {
	return (
		<label for={props.id}>
			{props.label}
			{props.required ? <span class="required"> ({t(props.lang, "deskRequired")})</span> : null}
		</label>
	);
}

function Hint(props: { id: string; hint?: string | undefined }) {
	return props.hint ? (
		<p class="hint" id={`${props.id}-hint`}>
			{props.hint}
		</p>
	) : null;
}

function ErrorText(props: { id: string; error?: string | undefined; lang: UiLanguage }) {
	return props.error ? (
		<p class="error" id={`${props.id}-error`}>
			<span class="visually-hidden">{t(props.lang, "deskErrorPrefix")} </span>
			{fieldMessage(props.lang, props.error)}
		</p>
	) : null;
}

export function TextField(props: FieldProps) {
	const id = fieldId(props.name) + (props.idSuffix ? `-${props.idSuffix}` : "");
	const error = props.errors[props.name];
	return (
		<div class="field">
			<Label id={id} label={props.label} required={props.required} lang={props.lang} />
			<Hint id={id} hint={props.hint} />
			<input
				id={id}
				name={props.name}
				type={props.type ?? "text"}
				value={props.value ?? ""}
				lang={props.valueLang}
				autocomplete={props.autocomplete}
				inputmode={props.inputmode}
				maxlength={props.maxlength}
				aria-required={props.required ? "true" : undefined}
				aria-invalid={error ? "true" : undefined}
				aria-describedby={described(id, Boolean(props.hint), Boolean(error))}
			/>
			<ErrorText id={id} error={error} lang={props.lang} />
		</div>
	);
}

export function TextArea(props: Omit<FieldProps, "type" | "autocomplete" | "inputmode"> & { rows?: number }) {
	const id = fieldId(props.name) + (props.idSuffix ? `-${props.idSuffix}` : "");
	const error = props.errors[props.name];
	return (
		<div class="field">
			<Label id={id} label={props.label} required={props.required} lang={props.lang} />
			<Hint id={id} hint={props.hint} />
			<textarea
				id={id}
				name={props.name}
				rows={props.rows ?? 4}
				lang={props.valueLang}
				aria-required={props.required ? "true" : undefined}
				aria-invalid={error ? "true" : undefined}
				aria-describedby={described(id, Boolean(props.hint), Boolean(error))}
			>
				{props.value ?? ""}
			</textarea>
			<ErrorText id={id} error={error} lang={props.lang} />
		</div>
	);
}

export function SelectField(
	props: Omit<FieldProps, "type" | "autocomplete" | "inputmode" | "maxlength"> & {
		options: readonly { value: string; label: string }[];
		placeholder?: string;
	},
) {
	const id = fieldId(props.name);
	const error = props.errors[props.name];
	return (
		<div class="field">
			<Label id={id} label={props.label} required={props.required} lang={props.lang} />
			<Hint id={id} hint={props.hint} />
			<select
				id={id}
				name={props.name}
				aria-required={props.required ? "true" : undefined}
				aria-invalid={error ? "true" : undefined}
				aria-describedby={described(id, Boolean(props.hint), Boolean(error))}
			>
				{props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
				{props.options.map((option) => (
					<option value={option.value} selected={option.value === props.value}>
						{option.label}
					</option>
				))}
			</select>
			<ErrorText id={id} error={error} lang={props.lang} />
		</div>
	);
}

/** Radio buttons in a fieldset whose legend labels the group. */
export function RadioGroup(props: {
	name: string;
	legend: string;
	lang: UiLanguage;
	errors: FieldErrors;
	value?: string | null | undefined;
	options: readonly { value: string; label: Child }[];
}) {
	const id = fieldId(props.name);
	const error = props.errors[props.name];
	return (
		<fieldset class="field radios" id={id} aria-describedby={error ? `${id}-error` : undefined}>
			<legend>{props.legend}</legend>
			{props.options.map((option, index) => (
				<div class="radio">
					<input
						type="radio"
						id={`${id}-${index}`}
						name={props.name}
						value={option.value}
						checked={option.value === props.value}
					/>
					<label for={`${id}-${index}`}>{option.label}</label>
				</div>
			))}
			<ErrorText id={id} error={error} lang={props.lang} />
		</fieldset>
	);
}

export function Checkbox(props: { name: string; label: string; checked: boolean; hint?: string }) {
	const id = fieldId(props.name);
	return (
		<div class="field checkbox">
			<input
				type="checkbox"
				id={id}
				name={props.name}
				value="1"
				checked={props.checked}
				aria-describedby={props.hint ? `${id}-hint` : undefined}
			/>
			<label for={id}>{props.label}</label>
			<Hint id={id} hint={props.hint} />
		</div>
	);
}

/** The list of problems at the top of a form, each linking to its field. */
export function ErrorSummary(props: {
	lang: UiLanguage;
	errors: FieldErrors;
	labels: Record<string, string>;
	/** Where a field that is not on this page is (a draft's evidence: its edit form). */
	hrefs?: Record<string, string>;
}) {
	// In the order of the form (the labels are listed that way), not the schema's.
	const order = Object.keys(props.labels);
	const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
	const entries = Object.entries(props.errors).sort(([a], [b]) => rank(a) - rank(b));
	if (entries.length === 0) return null;
	return (
		<div class="notice error" role="alert" id="error-summary" {...FOCUSED_AT_LOAD}>
			<h2>{t(props.lang, "deskFixErrors")}</h2>
			<ul>
				{entries.map(([name, message]) => (
					<li>
						<a href={props.hrefs?.[name] ?? `#${fieldId(name)}`}>
							{props.labels[name] ? `${props.labels[name]}: ` : ""}
							{fieldMessage(props.lang, message)}
						</a>
					</li>
				))}
			</ul>
		</div>
	);
}

/**
 * A failed small form on a page of several (the claim page, an account, a speaker, a webhook):
 * its errors and the fields they belong to, for the summary the desk layout puts atop the page.
 * The form stands far down and re-rendering the page announced nothing; the summary is.
 */
export interface PageErrors {
	errors: FieldErrors;
	/**
	 * The form's fields in its order: name, label and the id of the input on this page, or
	 * `href` for one that is on another page (a draft's evidence: its edit form).
	 */
	fields: readonly { name: string; label: string; id: string; href?: string }[];
}

/** The summary of a page's failed form, linking to each field by its id on the page. */
export function PageErrorSummary(props: { lang: UiLanguage; page: PageErrors }) {
	const labels: Record<string, string> = {};
	const hrefs: Record<string, string> = {};
	for (const field of props.page.fields) {
		labels[field.name] = field.label;
		hrefs[field.name] = field.href ?? `#${field.id}`;
	}
	return <ErrorSummary lang={props.lang} errors={props.page.errors} labels={labels} hrefs={hrefs} />;
}

/** Whether a page's failed form has any error to show (a refusal with a notice only has none). */
export function hasPageErrors(page: PageErrors | null | undefined): page is PageErrors {
	return page !== null && page !== undefined && Object.keys(page.errors).length > 0;
}

/**
 * The box a destructive step needs ticked (checked again on the server): its error says
 * "Error:" to a screen reader like every other field's.
 */
export function ConfirmBox(props: {
	id: string;
	label: string;
	lang: UiLanguage;
	error: string | undefined;
	name?: string;
}) {
	// The error inside the field, not after it: outside it lost the fields' error colour.
	return (
		<div class="field">
			<div class="checkbox">
				<input
					type="checkbox"
					id={props.id}
					name={props.name ?? "confirm"}
					value="1"
					required
					aria-invalid={props.error ? "true" : undefined}
					aria-describedby={props.error ? `${props.id}-error` : undefined}
				/>
				<label for={props.id}>{props.label}</label>
			</div>
			<ErrorText id={props.id} error={props.error} lang={props.lang} />
		</div>
	);
}

/**
 * Where "add evidence" leads from a page that publishes a draft without showing its form (the
 * claim page, the preview): the first link of the draft's edit form.
 */
export function evidenceHref(verdictId: string): Record<string, string> {
	return { evidence: `/desk/verdicts/${verdictId}/edit#${fieldId("evidence.0.url")}` };
}

/**
 * `focus`: what the request that led here did or why it was refused (a `?done=` after a
 * redirect, a refusal re-rendering the page): focused when the page loads, as GOV.UK's
 * banners and error summary are. A live region that is already in the page when it loads is
 * announced by few screen readers, so a notice that only had its role went unheard.
 */
export function Notice(props: {
	kind?: "error" | "ok";
	children: Child;
	role?: "status" | "alert";
	focus?: boolean;
}) {
	return (
		<div
			class={`notice${props.kind ? ` ${props.kind}` : ""}`}
			role={props.role}
			{...(props.focus ? FOCUSED_AT_LOAD : {})}
		>
			{props.children}
		</div>
	);
}

// The one element a page that changed under the user starts at (see Notice).
export const FOCUSED_AT_LOAD = { tabindex: -1, autofocus: true } as const;
