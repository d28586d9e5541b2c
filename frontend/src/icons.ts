//! Icons: one per category `icon` identifier of the API, and a few for the interface (24×24 line drawings).

const CATEGORY_ICONS: Record<string, string> = {
  pothole: '<path d="M4 21 8 3M20 21 16 3"/><ellipse cx="12" cy="15" rx="4.5" ry="2.2"/><path d="M12 4v2M12 8.5v2"/>',
  sidewalk: '<rect x="3" y="4" width="18" height="16" rx="1"/><path d="M3 12h18M9 4v8M15 12v8"/><path d="m13 5-1.5 3 2 1.5-1 2.5"/>',
  'road-sign': '<path d="M12 3 21.5 19.5h-19z"/><path d="M12 9.5v4.5M12 16.8v.2"/>',
  'traffic-light': '<rect x="8" y="2" width="8" height="16" rx="2"/><circle cx="12" cy="6" r="1.3"/><circle cx="12" cy="10" r="1.3"/><circle cx="12" cy="14" r="1.3"/><path d="M12 18v4"/>',
  'street-light': '<path d="M8 22V7a4 4 0 0 1 4-4h2"/><path d="M13 3h7l-1.5 3.5h-4z"/><path d="M5 22h6M16.5 9v1.5M14 10l-.8 1.2M19 10l.8 1.2"/>',
  'illegal-dumping': '<path d="M3 20h18l-2.5-7h-13z"/><path d="M8.5 13 10 8.5h4l1.5 4.5"/><path d="m10 8.5 2-3 2 3"/>',
  'trash-bin': '<path d="M4 6h16M9.5 6V4h5v2M6 6l1.2 15h9.6L18 6"/><path d="M10 10v7M14 10v7"/>',
  'dead-animal': '<circle cx="6.5" cy="10" r="1.7"/><circle cx="10" cy="6" r="1.7"/><circle cx="14" cy="6" r="1.7"/><circle cx="17.5" cy="10" r="1.7"/><path d="M8 17.5c0-3 1.8-5 4-5s4 2 4 5c0 2-1.8 2.5-4 2.5s-4-.5-4-2.5z"/>',
  'fallen-tree': '<path d="M3 21h18"/><path d="m5 21 9-9"/><circle cx="16" cy="8.5" r="4.5"/>',
  'overgrown-grass': '<path d="M3 21h18"/><path d="M5 21c0-5 1.5-9 4-12M9 21c0-5 .5-9-1-14M13 21c0-5 1.5-9 5-12M17 21c0-4 1-7 4-9"/>',
  playground: '<path d="M3 21 7 3h10l4 18"/><path d="M10 3v11M14 3v11M8.5 14h7"/>',
  'water-leak': '<path d="M12 3c3.2 4.2 6 7.6 6 11a6 6 0 0 1-12 0c0-3.4 2.8-6.8 6-11z"/><path d="M9.5 15a2.5 2.5 0 0 0 2.5 2.5"/>',
  'storm-drain': '<rect x="3.5" y="6.5" width="17" height="11" rx="1.5"/><path d="M7.5 6.5v11M12 6.5v11M16.5 6.5v11"/>',
  manhole: '<circle cx="12" cy="12" r="8.5"/><path d="M5.5 9.5h13M4.5 12h15M5.5 14.5h13"/>',
  'abandoned-car': '<path d="M3 16.5V12l2-5h14l2 5v4.5z"/><path d="M3 12h18"/><circle cx="7.5" cy="16.5" r="1.8"/><circle cx="16.5" cy="16.5" r="1.8"/>',
  'no-parking': '<circle cx="12" cy="12" r="9"/><path d="M10 17V7h3a3 3 0 0 1 0 6h-3"/><path d="m5.6 5.6 12.8 12.8"/>',
  graffiti: '<rect x="6" y="9" width="8" height="12" rx="1.5"/><path d="M8 9V6h4v3"/><path d="M17 5h.5M19.5 3h.5M19.5 7h.5M17.5 9h.5"/>',
  dog: '<path d="M5 11 6.5 4 10 7.5h4L17.5 4 19 11v3a7 7 0 0 1-14 0z"/><path d="M9.5 12v.5M14.5 12v.5M11 16h2"/>',
};

const FALLBACK = '<circle cx="12" cy="12" r="9"/><path d="M12 7v6M12 16v.5"/>';

/** The drawing for a category's icon identifier (a generic mark for one we do not know). */
export function categoryIcon(icon: string): string {
  return CATEGORY_ICONS[icon] ?? FALLBACK;
}

/** Interface icons. */
export const UI = {
  camera: '<path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z"/><circle cx="12" cy="13.5" r="3.5"/>',
  image: '<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="9.5" r="1.8"/><path d="m21 16-5-5-9 9"/>',
  crosshair: '<circle cx="12" cy="12" r="7"/><circle cx="12" cy="12" r="2"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3"/>',
  back: '<path d="M15 5 8 12l7 7"/>',
  close: '<path d="M6 6l12 12M18 6 6 18"/>',
  check: '<path d="m5 12.5 4.5 4.5L19 7.5"/>',
  pin: '<path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z"/><circle cx="12" cy="9.5" r="2.5"/>',
  search: '<circle cx="11" cy="11" r="6.5"/><path d="m16 16 4.5 4.5"/>',
  alert: '<path d="M12 3 21.5 19.5h-19z"/><path d="M12 9.5v4.5M12 16.8v.2"/>',
  plus: '<path d="M12 5v14M5 12h14"/>',
} as const;
