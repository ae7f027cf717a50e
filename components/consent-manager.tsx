"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { appErrorOf, useTRPC } from "./trpc";

const SOURCE = { mcp: "in ChatGPT", site: "on this site" } as const;

/** The /consent page: each consent in plain words, grant or withdraw it, and every change so far. */
export function ConsentManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const view = useQuery(trpc.consent.list.queryOptions({}));
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.consent.list.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.photos.list.queryKey() })]);
  const grant = useMutation(trpc.consent.grant.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.consent.revoke.mutationOptions({ onSuccess: refresh }));
  const photos = useQuery({ ...trpc.photos.list.queryOptions({}), enabled: revoke.data?.changed === true });
  const deleteSet = useMutation(trpc.profile.deletePhotos.mutationOptions({ onSuccess: refresh }));

  if (view.isPending) return <p role="status">Loading your consents…</p>;
  if (view.isError) return <p role="alert">Could not load your consents: {appErrorOf(view.error)?.message}</p>;
  const { consents, history, photoSetCount } = view.data;
  const busy = grant.isPending || revoke.isPending;
  const revokedPhotos = revoke.data?.changed && revoke.variables?.type === "photo_processing";

  return (
    <>
      <div className="profile-grid">
        {consents.map((c) => (
          <section key={c.type} className="card" aria-labelledby={`consent-${c.type}`}>
            <h2 id={`consent-${c.type}`}>{c.title}</h2>
            <p>{c.text}</p>
            <p className={c.granted ? "status" : "muted"} data-testid={`consent-state-${c.type}`}>
              {c.granted
                ? `Granted ${SOURCE[c.source!]} on ${new Date(c.since!).toLocaleString()}`
                : c.since
                  ? `Withdrawn on ${new Date(c.since).toLocaleString()}`
                  : "Not granted"}
            </p>
            {c.granted ? (
              <button type="button" className="button secondary" disabled={busy} onClick={() => revoke.mutate({ type: c.type })}>
                Withdraw consent
              </button>
            ) : (
              <button type="button" className="button" disabled={busy} onClick={() => grant.mutate({ type: c.type })}>
                I agree: grant consent
              </button>
            )}
            <p className="muted">Text version {c.textVersion}</p>
          </section>
        ))}
      </div>

      {revoke.data?.cancelledJobs ? <p className="note">{revoke.data.cancelledJobs} queued try-on(s) were cancelled.</p> : null}
      {revokedPhotos && photoSetCount > 0 ? (
        <div className="notice warning" role="region" aria-label="Delete your photos">
          <p>
            Photo processing has stopped. We still hold {photoSetCount} photo set{photoSetCount === 1 ? "" : "s"} of yours. Delete
            {photoSetCount === 1 ? " it" : " them"} now?
          </p>
          <button
            type="button"
            className="button"
            disabled={deleteSet.isPending || !photos.data}
            onClick={async () => {
              for (const set of photos.data?.sets ?? []) await deleteSet.mutateAsync({ photoSetId: set.photoSetId });
            }}
          >
            Delete all my photos
          </button>{" "}
          <Link href="/photos">Review them first</Link>
        </div>
      ) : null}
      {grant.error || revoke.error ? <p role="alert" className="status error">{appErrorOf(grant.error ?? revoke.error)?.message}</p> : null}

      <section className="card" style={{ marginTop: "1rem" }} aria-labelledby="history">
        <h2 id="history">History</h2>
        {history.length === 0 ? (
          <p className="muted">No consent given or withdrawn yet.</p>
        ) : (
          <table className="basket">
            <thead>
              <tr>
                <th>When</th>
                <th>Consent</th>
                <th>Change</th>
                <th>Where</th>
                <th>Text version</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h, i) => (
                <tr key={i}>
                  <td>{new Date(h.at).toLocaleString()}</td>
                  <td>{consents.find((c) => c.type === h.type)?.title ?? h.type}</td>
                  <td>{h.action === "granted" ? "Granted" : "Withdrawn"}</td>
                  <td>{SOURCE[h.source]}</td>
                  <td>{h.textVersion}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
