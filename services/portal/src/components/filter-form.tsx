// A list's filters, the same way on every page: a titled form whose fields the page gives, applied
// with the button or with Enter on a select (submitOnEnter), optionally reset; the page keeps the
// filters in its address.
import { Button } from "design-react-kit";
import type { FormEvent, ReactNode } from "react";
import { useT, type MessageId } from "../i18n/index.js";
import { SelectField, submitOnEnter } from "./fields.js";

export function FilterForm(props: {
  /** The heading's id (the form is labelled by it). */
  id: string;
  title: MessageId;
  onApply(): void;
  onReset?: () => void;
  children: ReactNode;
}) {
  const t = useT();
  const { id, title, onApply, onReset, children } = props;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply();
  };
  return (
    <form onSubmit={submit} onKeyDown={submitOnEnter} aria-labelledby={id} className="mb-4">
      <h2 id={id} className="h4">
        {t(title)}
      </h2>
      <div className="row gy-5 mt-2">{children}</div>
      <div className="d-flex gap-2 mt-5">
        <Button color="primary" type="submit">
          {t("catalogue.apply")}
        </Button>
        {onReset && (
          <Button color="primary" outline type="button" onClick={onReset}>
            {t("catalogue.reset")}
          </Button>
        )}
      </div>
    </form>
  );
}

/** One select of a FilterForm: the draft's `key`, its options and each option's message. */
export interface FilterSelect<F> {
  key: keyof F & string;
  label: MessageId;
  options: readonly string[];
  optionLabel: (value: string) => MessageId;
}

/** The selects of a FilterForm, each in a grid column (`col`), reading and writing the page's draft. */
export function FilterSelects<F extends object>(props: {
  draft: F;
  onChange(draft: F): void;
  col: string;
  fields: readonly FilterSelect<F>[];
}) {
  const { draft, onChange, col, fields } = props;
  return (
    <>
      {fields.map((field) => (
        <div key={field.key} className={col}>
          <SelectField
            id={field.key}
            label={field.label}
            value={draft[field.key] as string | undefined}
            options={field.options}
            optionLabel={field.optionLabel}
            onChange={(value) => onChange({ ...draft, [field.key]: value })}
          />
        </div>
      ))}
    </>
  );
}
