"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, useState, type DragEvent } from "react";
import { appErrorOf, useTRPC } from "./trpc";

const MAX_BYTES = 15 * 1024 * 1024;

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",")[1] ?? "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** The /photos portal: upload (drag and drop, or the camera on a phone), each photo's result, primary, delete. */
export function PhotoPortal() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.photos.list.queryOptions({}));
  const consents = useQuery(trpc.consent.list.queryOptions({}));
  // A deleted set takes its try-ons with it; a new consent changes what the portal offers.
  const refresh = () =>
    Promise.all([trpc.photos.list, trpc.consent.list, trpc.tryon.list].map((p) => queryClient.invalidateQueries({ queryKey: p.queryKey() })));
  const upload = useMutation(trpc.photos.upload.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.profile.deletePhotos.mutationOptions({ onSuccess: refresh }));
  const primary = useMutation(trpc.photos.setPrimary.mutationOptions({ onSuccess: refresh }));
  const tryons = useQuery(trpc.tryon.list.queryOptions({}));
  const erase = useMutation(trpc.account.erase.mutationOptions({ onSuccess: refresh }));
  const [confirm, setConfirm] = useState("");
  const [agree, setAgree] = useState(false);
  const [tooBig, setTooBig] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const granted = consents.data?.consents.find((c) => c.type === "photo_processing")?.granted ?? false;

  const [summary, setSummary] = useState<{ approved: number; total: number } | null>(null);
  // One photo per request (a phone photo is several MB); the first carries the consent when it is given here.
  const send = async (files: FileList | File[]) => {
    const chosen = [...files].slice(0, 10);
    const big = chosen.find((f) => f.size > MAX_BYTES);
    setTooBig(big ? `${big.name} is over 15 MB.` : null);
    setSummary(null);
    if (big || chosen.length === 0) return;
    let approved = 0;
    let total = 0;
    let photoSetId: string | undefined;
    for (const [i, file] of chosen.entries()) {
      const result = await upload.mutateAsync({ files: [{ data: await toBase64(file) }], consentGranted: i === 0 && !granted && agree, photoSetId }).catch(() => null);
      if (!result) return;
      photoSetId = result.photoSetId;
      approved += result.approvedPhotoCount;
      total += result.fileCount;
    }
    setSummary({ approved, total });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void send(e.dataTransfer.files);
  };

  if (list.isPending || consents.isPending) return <p role="status">Loading your photos…</p>;
  if (list.isError) return <p role="alert">Could not load your photos: {appErrorOf(list.error)?.message}</p>;
  const canUpload = granted || agree;
  const error = appErrorOf(upload.error ?? remove.error ?? primary.error);

  return (
    <>
      <section className="card" aria-labelledby="upload">
        <h2 id="upload">Add full-body photos</h2>
        <p className="muted">
          Stand facing the camera, head to feet in the frame, alone. Each photo is checked on our own servers; a photo that does not pass
          is not kept.
        </p>
        {!granted ? (
          <label className="save-row">
            <input type="checkbox" checked={agree} onChange={(e) => setAgree(e.target.checked)} />
            <span>
              I agree to the processing of my photos as described on the <Link href="/consent">consent page</Link>.
            </span>
          </label>
        ) : null}
        <div
          className={`dropzone${dragging ? " active" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={canUpload ? onDrop : (e) => e.preventDefault()}
          aria-disabled={!canUpload}
        >
          <p>Drop photos here, or</p>
          <input
            ref={input}
            id="photo-files"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            multiple
            disabled={!canUpload || upload.isPending}
            onChange={(e) => e.target.files && void send(e.target.files)}
            aria-label="Choose photos to upload"
          />
        </div>
        {upload.isPending ? <p role="status">Checking your photos…</p> : null}
        {summary ? (
          <p role="status" className={summary.approved > 0 ? "status" : "status error"}>
            {summary.approved > 0 ? `${summary.approved} of ${summary.total} photos approved.` : "No photo passed the full-body check."}
          </p>
        ) : null}
        {tooBig ? <p role="alert" className="status error">{tooBig}</p> : null}
        {error ? (
          <p role="alert" className="status error">
            {error.issues?.map((i) => i.message).join("; ") || error.message}
          </p>
        ) : null}
      </section>

      <h2>Your photos</h2>
      {list.data.sets.length === 0 ? <p className="muted">You have no photos with us.</p> : null}
      {list.data.sets.map((set) => (
        <section key={set.photoSetId} className="card" style={{ marginBottom: "1rem" }} aria-label={`Photo set from ${new Date(set.createdAt).toLocaleString()}`}>
          <div className="save-row">
            <strong>{new Date(set.createdAt).toLocaleString()}</strong>
            <span className="muted">{set.source === "site_upload" ? "uploaded here" : set.source === "chatgpt_upload" ? "from ChatGPT" : "imported by link"}</span>
            <button type="button" className="button secondary" disabled={remove.isPending} onClick={() => remove.mutate({ photoSetId: set.photoSetId })}>
              Delete this set
            </button>
          </div>
          <ul className="photo-grid">
            {set.photos.map((p) => (
              <li key={p.photoId} className={`photo ${p.status}`}>
                {p.imageUrl ? <img src={p.imageUrl} alt={`Your photo${p.isPrimary ? " (primary)" : ""}`} width={160} /> : <div className="photo-placeholder" aria-hidden="true" />}
                <p className={p.status === "approved" ? "status" : p.status === "rejected" ? "status error" : "muted"}>
                  {p.status === "approved" ? "Approved" : p.status === "rejected" ? "Rejected (image not kept)" : "Waiting for the image"}
                </p>
                <p className="muted">{p.reason}</p>
                {p.status === "approved" ? (
                  p.isPrimary ? (
                    <p className="status">Primary photo for try-on</p>
                  ) : (
                    <button type="button" className="link-button" onClick={() => primary.mutate({ photoId: p.photoId })}>
                      Use for try-on
                    </button>
                  )
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}

      <h2>Your try-ons</h2>
      {(tryons.data?.jobs.length ?? 0) === 0 ? <p className="muted">No try-ons yet: ask the assistant in ChatGPT to show you wearing an item.</p> : null}
      <ul className="photo-grid" aria-label="Your try-ons">
        {tryons.data?.jobs.map((job) => (
          <li key={job.jobId} className={`photo tryon-${job.status}`}>
            {job.outputUrl ? <img src={job.outputUrl} alt="A try-on render of you wearing the chosen pieces" width={160} /> : <div className="photo-placeholder" aria-hidden="true" />}
            <p className={job.status === "succeeded" ? "status" : job.status === "failed" ? "status error" : "muted"}>
              {job.status === "succeeded" ? "Ready" : job.status === "failed" ? `Failed: ${job.error}` : `${job.status} (${job.progress}%)`}
            </p>
          </li>
        ))}
      </ul>

      <section className="card" style={{ marginTop: "1.5rem" }} aria-labelledby="your-data">
        <h2 id="your-data">Your data</h2>
        <p>
          <a className="button secondary" href="/account/export" download>
            Export everything
          </a>{" "}
          <span className="muted">One ZIP: your profile, consents, ratings, plans, photos and renders, approvals and orders.</span>
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            erase.mutate({ confirm: confirm as "delete everything" });
          }}
        >
          <div className="field">
            <label htmlFor="erase-confirm">To delete everything we hold about you, type “delete everything”</label>
            <input id="erase-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
          </div>
          <button type="submit" className="button" disabled={confirm !== "delete everything" || erase.isPending}>
            Delete everything
          </button>
          {erase.data ? <p role="status" className="status">Everything is deleted: {erase.data.photoSets} photo sets and {erase.data.files} files.</p> : null}
        </form>
      </section>
    </>
  );
}
