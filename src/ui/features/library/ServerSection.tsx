// The library's "On this server" section: the recordings the prnr server this
// page came from keeps (GET /api/recordings, a page at a time), each card
// opening /r/<id>, which reads it from the server by ranges. Under a server
// without the API (vite, static hosting) there is no section; a server that
// does not answer is one line saying so.
import { errorMessage } from '../../../shared/errors';
import { RecordingCard } from './RecordingCard';
import { SERVER_PAGE, useServerRecordings } from './queries';

export function ServerSection() {
  const listing = useServerRecordings();
  const pages = listing.data?.pages;
  // No API where the page came from: nothing to show, and nothing wrong.
  if (listing.isPending || (pages && pages[0] === undefined)) return null;
  const items = pages?.flatMap((p) => p?.items ?? []) ?? [];
  const total = pages?.[0]?.total ?? items.length;
  return (
    <section className="library-section" data-testid="library-server">
      <h2>
        On this server <span className="count">{total}</span>
      </h2>
      {listing.isError && !pages && (
        <p className="panel error library-message" role="alert" data-testid="library-server-error">
          This server's recordings could not be listed: {errorMessage(listing.error)}
        </p>
      )}
      {pages && items.length === 0 && (
        <div className="panel empty" data-testid="library-server-empty">
          <p>Nothing shared on this server yet: open a recording and press Share.</p>
        </div>
      )}
      {items.length > 0 && (
        <div className="card-grid">
          {items.map((item) => (
            <RecordingCard key={item.id} item={item} />
          ))}
        </div>
      )}
      {listing.isError && pages && (
        <p className="panel error library-message" role="alert" data-testid="library-server-error">
          More of this server's recordings could not be listed: {errorMessage(listing.error)}
        </p>
      )}
      {listing.hasNextPage && (
        <button type="button" className="button secondary library-more" onClick={() => void listing.fetchNextPage()} disabled={listing.isFetchingNextPage} data-testid="library-server-more">
          {listing.isFetchingNextPage ? 'Listing…' : `Show ${Math.min(SERVER_PAGE, total - items.length)} more of ${total - items.length}`}
        </button>
      )}
    </section>
  );
}
