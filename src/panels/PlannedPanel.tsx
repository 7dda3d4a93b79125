/** A lab that is not built yet says what it will show, so a learner knows what is coming and where. */
export function PlannedPanel({
  title,
  description,
  papers,
}: {
  title: string;
  description: string;
  papers: string;
}) {
  return (
    <section className="panel panel--planned" aria-labelledby={`planned-${title}`}>
      <h2 id={`planned-${title}`}>{title}</h2>
      <p>{description}</p>
      <p className="panel__papers">Based on: {papers}</p>
      <p className="panel__status">
        This lab is being built. The scenario you set in the sidebar will carry over to it.
      </p>
    </section>
  );
}
