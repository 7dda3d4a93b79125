import { useState } from 'react';

export interface ChartTable {
  caption: string;
  /** Column headings; the first column heads each row (an expert, a layer, a fault). */
  columns: readonly string[];
  /** Formatted cells, one array per row, in the columns' order. */
  rows: readonly (readonly string[])[];
}

interface Props {
  /** The id the chart's canvas or SVG points its aria-describedby at. */
  summaryId: string;
  /** The few facts the picture is drawn to show, in a sentence or two. */
  summary: string;
  tables: readonly ChartTable[];
}

/**
 * A chart's data alternative: a closed "Show the data" disclosure under the picture, holding a summary of what
 * the chart shows and a short table of its most telling rows (the busiest experts, the hottest cells, the first
 * faults), not every number drawn. A native <details>, so sighted keyboard and magnifier users can open it as
 * well as screen-reader users. The chart's aria-describedby reads the summary out with the image while the
 * disclosure is closed: it points at a hidden copy outside the <details>, because browsers leave a closed
 * disclosure's content out of the accessibility tree, and a description pointing into it comes out empty. The
 * tables are rendered only while the disclosure is open: a lab has several charts, and a heatmap's table has a
 * row per layer, which the page would otherwise carry (and re-render every batch) for nothing.
 */
export function ChartData({ summaryId, summary, tables }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <p id={summaryId} hidden>
        {summary}
      </p>
      <details className="chart-data" onToggle={(event) => setOpen(event.currentTarget.open)}>
        {/* Inside the chart's <figure>, which its caption names: a screen reader says whose data this is. */}
        <summary>Show the data</summary>
        <p>{summary}</p>
        {tables.map((table) =>
          open && table.rows.length > 0 ? (
            <div key={table.caption} className="table-scroll">
              <table className="chart-data__table">
                <caption>{table.caption}</caption>
                <thead>
                  <tr>
                    {table.columns.map((column) => (
                      <th key={column} scope="col">
                        {column}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((row) => (
                    <tr key={row.join('|')}>
                      {row.map((cell, index) =>
                        index === 0 ? (
                          <th key={index} scope="row">
                            {cell}
                          </th>
                        ) : (
                          <td key={index}>{cell}</td>
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null,
        )}
      </details>
    </>
  );
}
