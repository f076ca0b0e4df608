/** The two states every query-backed view shows before its data: loading, and a clear error. */
export const Loading = ({ what }: { what: string }) => <p className="text-slate-500">Loading {what}…</p>;

export const LoadError = ({ what, error }: { what: string; error: { message: string } }) => (
  <p role="alert" className="text-red-700">
    Could not load {what}: {error.message}
  </p>
);
