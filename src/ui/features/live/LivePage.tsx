import { EngineStatus } from '../engine/EngineStatus';

export function LivePage() {
  return (
    <section className="page" data-testid="live-page">
      <header className="page-header">
        <h1>Live machine</h1>
        <EngineStatus />
      </header>
      <div className="panel console-placeholder" data-testid="live-console">
        The guest console appears here once the machine boots.
      </div>
    </section>
  );
}
