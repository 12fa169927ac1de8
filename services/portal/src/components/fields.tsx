// Labelled form controls in the design system's markup: every control has a visible <label>.
import type { ChangeEvent, KeyboardEvent } from "react";
import { useT, type MessageId } from "../i18n/index.js";

export function SelectField<V extends string>(props: {
  id: string;
  label: MessageId;
  value: V | undefined;
  options: readonly V[];
  /** The message id prefix of each option's text, e.g. "enum.area." */
  optionLabel: (value: V) => MessageId;
  onChange(value: V | undefined): void;
}) {
  const t = useT();
  const { id, label, value, options, optionLabel, onChange } = props;
  return (
    <div className="select-wrapper">
      <label htmlFor={id}>{t(label)}</label>
      <select
        id={id}
        name={id}
        value={value ?? ""}
        onChange={(e: ChangeEvent<HTMLSelectElement>) =>
          onChange(e.target.value === "" ? undefined : (e.target.value as V))
        }
      >
        <option value="">{t("catalogue.any")}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {t(optionLabel(option))}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Enter on a filter's select applies the filters, as it does in a text field: a keyboard user picks a
 * value by typing and applies it without tabbing through the rest of the form.
 */
export function submitOnEnter(e: KeyboardEvent<HTMLFormElement>) {
  if (e.key === "Enter" && e.target instanceof HTMLSelectElement) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}
