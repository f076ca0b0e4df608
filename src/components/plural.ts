const rules = new Intl.PluralRules("en-US");

/** "1 invariant", "2 invariants", "0 invariants": a count with its noun in the right form. */
export function plural(count: number, one: string, other = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${rules.select(count) === "one" ? one : other}`;
}
