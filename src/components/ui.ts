/** Shared Tailwind class lists, so every page's buttons and panels look and focus alike. */
export const panel = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm";
export const primaryButton =
  "inline-flex items-center justify-center gap-2 rounded-md bg-indigo-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-indigo-700 aria-busy:cursor-progress aria-busy:opacity-80 disabled:opacity-60";
export const secondaryButton =
  "inline-flex items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60";
export const linkText = "font-medium text-indigo-700 underline-offset-2 hover:underline";
