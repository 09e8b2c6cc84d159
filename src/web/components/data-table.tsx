import type { ReactNode } from 'react';

/** A table that scrolls sideways on narrow screens instead of squeezing its columns. */
export function DataTable({ head, children, minWidth = '40rem' }: { head: ReactNode[]; children: ReactNode; minWidth?: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full border-collapse" style={{ minWidth }}>
        <thead className="bg-slate-100">
          <tr>
            {head.map((cell, i) => (
              <th key={i} scope="col" className="px-3 py-2 text-left text-sm font-semibold text-slate-700">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export const cellClass = 'px-3 py-2 text-slate-700';
export const rowClass = 'border-t border-slate-200';
