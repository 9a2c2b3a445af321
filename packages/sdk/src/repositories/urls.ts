import type { AppUrl, SslProvider } from '../schemas/urls.js';
import { bool, insertRow, type Queryable, type Row, str, updateColumns } from './sql.js';

const COLUMNS = 'id, app_id, domain, is_primary, ssl_provider, created_at, updated_at';

function toUrl(row: Row): AppUrl {
  return {
    id: str(row.id),
    appId: str(row.app_id),
    domain: str(row.domain),
    isPrimary: bool(row.is_primary),
    sslProvider: str(row.ssl_provider) as SslProvider,
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

export async function findUrl(q: Queryable, id: string): Promise<AppUrl | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM urls WHERE id = ?`, [id]);
  return row && toUrl(row);
}

export async function findUrlByDomain(q: Queryable, domain: string): Promise<AppUrl | undefined> {
  const row = await q.get(`SELECT ${COLUMNS} FROM urls WHERE domain = ?`, [domain]);
  return row && toUrl(row);
}

/** Primary URL first, then in the order they were added. */
export async function listUrls(q: Queryable, appId: string): Promise<AppUrl[]> {
  const rows = await q.all(
    `SELECT ${COLUMNS} FROM urls WHERE app_id = ? ORDER BY is_primary DESC, created_at, id`,
    [appId],
  );
  return rows.map(toUrl);
}

export async function insertUrl(q: Queryable, url: AppUrl): Promise<void> {
  await insertRow(q, 'urls', {
    id: url.id,
    app_id: url.appId,
    domain: url.domain,
    is_primary: url.isPrimary,
    ssl_provider: url.sslProvider,
    created_at: url.createdAt,
    updated_at: url.updatedAt,
  });
}

/** Makes `urlId` the app's only primary URL (call inside a transaction). */
export async function makePrimaryUrl(q: Queryable, appId: string, urlId: string, at: string): Promise<void> {
  await q.run(
    'UPDATE urls SET is_primary = 0, updated_at = ? WHERE app_id = ? AND is_primary = 1 AND id <> ?',
    [at, appId, urlId],
  );
  await updateColumns(q, 'urls', { id: urlId }, { is_primary: true, updated_at: at });
}

export async function setSslProvider(q: Queryable, id: string, provider: SslProvider, at: string) {
  await updateColumns(q, 'urls', { id }, { ssl_provider: provider, updated_at: at });
}

/** Puts back a URL's flags and timestamp as they were (undoing a change). */
export async function restoreUrl(q: Queryable, url: AppUrl): Promise<void> {
  await updateColumns(
    q,
    'urls',
    { id: url.id },
    { is_primary: url.isPrimary, ssl_provider: url.sslProvider, updated_at: url.updatedAt },
  );
}

export async function deleteUrl(q: Queryable, id: string): Promise<void> {
  await q.run('DELETE FROM urls WHERE id = ?', [id]);
}
