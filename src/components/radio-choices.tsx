"use client";

export type RadioChoice<T extends string> = { value: T; label: string; hint: string };

/** A group of labelled radio buttons with a hint under each label (the demo panels' fault pickers). */
export function RadioChoices<T extends string>({
  name,
  choices,
  value,
  onChange,
}: {
  name: string;
  choices: readonly RadioChoice<T>[];
  value: string;
  onChange: (value: T) => void;
}) {
  return choices.map((choice) => (
    <label key={choice.value} className="flex items-start gap-2 rounded-md p-1.5 text-sm hover:bg-amber-100">
      <input
        type="radio"
        name={name}
        value={choice.value}
        checked={value === choice.value}
        onChange={() => onChange(choice.value)}
        className="mt-0.5 accent-indigo-600"
      />
      <span>
        {choice.label}
        <span className="block text-xs text-slate-600">{choice.hint}</span>
      </span>
    </label>
  ));
}
