import { z } from "zod";

/** Longest shopper name, in characters (Unicode code points after NFC normalisation). */
export const MAX_NAME_LENGTH = 40;
/** Raw input is bounded before any work is done on it. */
const MAX_RAW_LENGTH = 1_000;

const ALLOWED = /^[\p{L}\p{M}\p{N} .'_-]+$/u;
const DISALLOWED = /[^\p{L}\p{M}\p{N} .'_-]/gu;

const characters = (s: string): number => [...s].length;

/** How a name is stored and shown: NFC, trimmed, inner runs of whitespace as one space. */
const normaliseName = (raw: string): string => raw.normalize("NFC").trim().replace(/\s+/gu, " ");

/**
 * The identity of a shopper name, equal for names that differ only in case ("Zoë", "ZOË", "zoë";
 * "Straße", "STRASSE"): upper- then lower-casing folds the special cases plain lowercasing misses.
 */
export const nameKey = (name: string): string => normaliseName(name).toUpperCase().toLowerCase().normalize("NFC");

const listed = (chars: string[]): string => [...new Set(chars)].map((c) => `"${c}"`).join(", ");

/** A shopper name: letters of any script with their combining marks, digits, spaces and . ' _ - */
export const shopperName = z
  .string({ error: "Enter a shopper name." })
  .max(MAX_RAW_LENGTH, `A shopper name is at most ${MAX_NAME_LENGTH} characters.`)
  .transform(normaliseName)
  .pipe(
    z
      .string()
      // abort: one clear message at a time, not "empty" and "bad characters" for the same blank name.
      .min(1, { error: "Enter a shopper name.", abort: true })
      .refine((s) => characters(s) <= MAX_NAME_LENGTH, {
        error: (issue) =>
          `A shopper name is at most ${MAX_NAME_LENGTH} characters; this one has ${characters(String(issue.input))}.`,
        abort: true,
      })
      .refine((s) => ALLOWED.test(s), {
        error: (issue) =>
          `A shopper name may use letters, digits, spaces and . ' _ - (not ${listed(String(issue.input).match(DISALLOWED) ?? [])}).`,
      }),
  );
