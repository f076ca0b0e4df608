import type { Db } from "@/server/db";

export const catalog = [
  {
    id: "espresso-beans",
    name: "Espresso Beans 1 kg",
    emoji: "☕",
    priceCents: 2490,
    stock: 500,
    description: "Dark roast, chocolate and hazelnut.",
  },
  {
    id: "pour-over-kettle",
    name: "Pour-over Kettle",
    emoji: "🫖",
    priceCents: 5900,
    stock: 120,
    description: "Gooseneck, 1 litre, steady pour.",
  },
  {
    id: "ceramic-mug",
    name: "Ceramic Mug",
    emoji: "🍵",
    priceCents: 1400,
    stock: 800,
    description: "Hand-glazed, 350 ml.",
  },
  {
    id: "hand-grinder",
    name: "Hand Grinder",
    emoji: "⚙️",
    priceCents: 8900,
    stock: 80,
    description: "Steel burrs, 40 click settings.",
  },
  {
    id: "paper-filters",
    name: "Paper Filters (100)",
    emoji: "📄",
    priceCents: 650,
    stock: 2000,
    description: "Unbleached, size 02.",
  },
  {
    id: "milk-frother",
    name: "Milk Frother",
    emoji: "🥛",
    priceCents: 3450,
    stock: 150,
    description: "Warm or cold foam in a minute.",
  },
  {
    id: "travel-tumbler",
    name: "Travel Tumbler",
    emoji: "🥤",
    priceCents: 2750,
    stock: 300,
    description: "Keeps coffee hot for six hours.",
  },
  {
    id: "digital-scale",
    name: "Digital Scale",
    emoji: "⚖️",
    priceCents: 3990,
    stock: 200,
    description: "0.1 g precision with a timer.",
  },
  {
    id: "cold-brew-jar",
    name: "Cold Brew Jar",
    emoji: "🫙",
    priceCents: 2990,
    stock: 180,
    description: "1.5 litres, mesh filter included.",
  },
  {
    id: "green-tea",
    name: "Sencha Green Tea",
    emoji: "🍃",
    priceCents: 1290,
    stock: 600,
    description: "First flush, 100 g.",
  },
  {
    id: "almond-biscotti",
    name: "Almond Biscotti",
    emoji: "🍪",
    priceCents: 590,
    stock: 1000,
    description: "Twice baked, box of twelve.",
  },
  {
    id: "last-one",
    name: "Limited Edition Siphon",
    emoji: "🧪",
    priceCents: 14900,
    stock: 3,
    description: "Only three made: watch the stock race.",
  },
] as const;

/**
 * Puts the catalog in place. Safe to repeat: existing products keep their stock (orders may have used
 * some); only missing ones are created.
 */
export async function seedCatalog(db: Db): Promise<{ created: number }> {
  let created = 0;
  for (const p of catalog) {
    const existing = await db.product.findUnique({ where: { id: p.id }, select: { id: true } });
    if (existing) continue;
    await db.product.upsert({ where: { id: p.id }, create: { ...p, initialStock: p.stock }, update: {} });
    created++;
  }
  return { created };
}
