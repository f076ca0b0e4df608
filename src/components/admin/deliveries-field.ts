import { z } from "zod";

export const MAX_ARMED_DELIVERIES = 20;

const deliveries = z.coerce.number().int().min(1).max(MAX_ARMED_DELIVERIES);

/**
 * The Deliveries field as typed: the text stays the shopper's own while editing (it may be empty on the way
 * from "1" to "5"), and only a whole number from 1 to MAX_ARMED_DELIVERIES arms a fault.
 */
export function parseDeliveries(text: string): number | null {
  if (text.trim() === "") return null;
  const parsed = deliveries.safeParse(text.trim());
  return parsed.success ? parsed.data : null;
}
