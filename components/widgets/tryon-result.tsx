import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { callTool, connectToHost, useToolResult } from "./bridge";
import "./widget.css";

interface Job {
  jobId: string;
  status: "queued" | "running" | "succeeded" | "failed";
  progress: number;
  outputUrl: string | null;
  photoUrl: string | null;
  error: string | null;
}

/** tryon.getJobStatus: before and after side by side, or the progress with a way to check again. */
function TryonResult() {
  const result = useToolResult<Job>();
  const [job, setJob] = useState<Job | null>(null);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (result?.structuredContent) setJob(result.structuredContent);
  }, [result]);

  if (!job) return <p className="widget-status" role="status">Loading the try-on…</p>;

  const refresh = async () => {
    setChecking(true);
    setProblem(null);
    try {
      const answer = (await callTool("tryon.getJobStatus", { jobId: job.jobId })) as { structuredContent?: Job } & Partial<Job>;
      setJob((answer.structuredContent ?? (answer as Job)) as Job);
    } catch {
      setProblem("Could not check the try-on just now.");
    } finally {
      setChecking(false);
    }
  };

  if (job.status === "succeeded" && job.outputUrl) {
    return (
      <div className="tryon">
        <figure>
          {job.photoUrl ? <img src={job.photoUrl} alt="Your photo, before" /> : null}
          <figcaption>Before</figcaption>
        </figure>
        <figure>
          <img src={job.outputUrl} alt="Your photo wearing the chosen pieces" />
          <figcaption>After</figcaption>
        </figure>
      </div>
    );
  }
  if (job.status === "failed") return <p className="widget-status" role="alert">The try-on failed: {job.error}</p>;
  return (
    <div className="widget-status">
      <p role="status">
        Rendering your try-on… {job.progress}% ({job.status})
      </p>
      <progress max={100} value={job.progress} aria-label="Try-on progress" />
      <p>
        <button type="button" onClick={refresh} disabled={checking}>
          {checking ? "Checking…" : "Check again"}
        </button>
      </p>
      {problem ? <p role="alert">{problem}</p> : null}
    </div>
  );
}

connectToHost();
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <TryonResult />
    </StrictMode>,
  );
}
