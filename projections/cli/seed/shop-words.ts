/**
 * A small built-in generator of believable catalog data. Not @faker-js/faker: that is a dev
 * dependency, and `strata seed` must run from the production image. Seeded, so `--seed` gives
 * the same catalog every time.
 */
export type Random = () => number;

/** mulberry32: tiny, fast, and good enough to pick words. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

export const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

/** Category -> the nouns sold in it, so names read like the shelf they are on. */
export const CATEGORIES: Record<string, readonly string[]> = {
  lighting: ['Lamp', 'Pendant', 'Sconce', 'Floor Lamp', 'Lantern', 'String Lights'],
  kitchen: ['Kettle', 'Skillet', 'Knife Set', 'Cutting Board', 'Mixing Bowl', 'Teapot'],
  outdoors: ['Tent', 'Backpack', 'Sleeping Bag', 'Camp Stove', 'Trekking Poles', 'Hammock'],
  office: ['Desk', 'Chair', 'Monitor Arm', 'Notebook', 'Pen Set', 'Desk Organizer'],
  audio: ['Headphones', 'Speaker', 'Turntable', 'Soundbar', 'Earbuds', 'Amplifier'],
  garden: ['Planter', 'Hose', 'Pruner', 'Watering Can', 'Bird Feeder', 'Garden Bench'],
  apparel: ['Jacket', 'Sweater', 'Scarf', 'Beanie', 'Rain Coat', 'Gloves'],
  toys: ['Puzzle', 'Building Set', 'Kite', 'Board Game', 'Plush Bear', 'Train Set'],
};

export const BRANDS = [
  'Northwind',
  'Acme',
  'Lumen & Co',
  'Fjord',
  'Bramble',
  'Halcyon',
  'Ironbark',
  'Kestrel',
  'Maple Row',
  'Solstice',
  'Tidewater',
  'Verdant',
  'Wren',
  'Oakhurst',
  'Cobalt',
  'Juniper',
] as const;

const ADJECTIVES = [
  'Classic',
  'Compact',
  'Deluxe',
  'Ergonomic',
  'Handcrafted',
  'Lightweight',
  'Modern',
  'Rustic',
  'Sleek',
  'Sturdy',
  'Vintage',
  'Weatherproof',
  'Premium',
  'Essential',
  'Foldable',
  'Quiet',
] as const;
const MATERIALS = [
  'oak',
  'walnut',
  'steel',
  'aluminium',
  'linen',
  'wool',
  'ceramic',
  'bamboo',
  'brass',
  'cotton',
] as const;
const COLOURS = ['black', 'white', 'sage', 'navy', 'sand', 'terracotta', 'slate', 'amber'] as const;
const QUALITIES = [
  'built to last',
  'easy to clean',
  'designed for everyday use',
  'made from recycled materials',
  'backed by a two-year warranty',
  'tested by our own team',
  'packed without plastic',
] as const;

export interface SeedProduct {
  sku: string;
  name: string;
  description: string;
  category: string;
  /** Minor units. */
  price: number;
  attributes: Record<string, string>;
}

/** The `index`-th product: SKUs are numbered, so two products never share one. */
export function seedProduct(random: Random, index: number, runTag: string): SeedProduct {
  const category = pick(random, Object.keys(CATEGORIES));
  const noun = pick(random, CATEGORIES[category] ?? ['Thing']);
  const brand = pick(random, BRANDS);
  const adjective = pick(random, ADJECTIVES);
  const material = pick(random, MATERIALS);
  const colour = pick(random, COLOURS);
  const name = `${brand} ${adjective} ${noun}`;
  const description =
    `A ${adjective.toLowerCase()} ${noun.toLowerCase()} in ${colour} ${material}, ` +
    `${pick(random, QUALITIES)} and ${pick(random, QUALITIES)}.`;
  // Prices cluster like a real shop's: mostly 5-150, a tail up to 1,500, ending in .99 or .00.
  const whole = random() < 0.85 ? between(random, 5, 150) : between(random, 150, 1500);
  const price = whole * 100 + (random() < 0.7 ? 99 : 0);
  return {
    sku: `${runTag}-${category.slice(0, 3).toUpperCase()}-${String(index).padStart(6, '0')}`,
    name,
    description,
    category,
    price,
    attributes: { brand, material, colour },
  };
}

const FIRST = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas'];
const LAST = ['Martin', 'Okafor', 'Novak', 'Silva', 'Berg', 'Kowalski', 'Haddad', 'Moreau'];
const STREETS = ['Station Road', 'Mill Lane', 'Rue des Lilas', 'Hauptstrasse', 'Kerkstraat'];
const CITIES: readonly [string, string][] = [
  ['Brussels', 'BE'],
  ['Lyon', 'FR'],
  ['Leipzig', 'DE'],
  ['Utrecht', 'NL'],
  ['Porto', 'PT'],
];

export function seedAddress(random: Random) {
  const [city, country] = pick(random, CITIES);
  return {
    name: `${pick(random, FIRST)} ${pick(random, LAST)}`,
    line1: `${between(random, 1, 240)} ${pick(random, STREETS)}`,
    city,
    postalCode: String(between(random, 1000, 9999)),
    country,
  };
}
