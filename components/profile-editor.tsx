"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { cloneElement, useEffect, useState, type FormEvent, type ReactElement } from "react";
import { appErrorOf, useTRPC } from "./trpc";

const SIZE_NAMES = ["top", "bottom", "waist", "dress", "shoe"] as const;
const DEPARTMENT_CHOICES = ["women", "men", "unisex", "kids"] as const;
type Department = (typeof DEPARTMENT_CHOICES)[number];
const SUGGESTED_TAGS = ["minimalist", "classic", "streetwear", "bohemian", "sporty", "preppy", "edgy", "romantic", "workwear", "vintage"];

function splitList(value: string, separator: RegExp): string[] {
  return value
    .split(separator)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function ProfileEditor() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const profile = useQuery(trpc.profile.get.queryOptions({}));
  const onSaved = () => queryClient.invalidateQueries({ queryKey: trpc.profile.get.queryKey() });

  const saveBudget = useMutation(trpc.profile.upsertBudgetAndGoals.mutationOptions({ onSuccess: onSaved }));
  const saveSizes = useMutation(trpc.profile.upsertSizes.mutationOptions({ onSuccess: onSaved }));
  const saveAddress = useMutation(trpc.profile.setAddress.mutationOptions({ onSuccess: onSaved }));

  const [budget, setBudget] = useState("");
  const [goals, setGoals] = useState("");
  const [tags, setTags] = useState("");
  const [departments, setDepartments] = useState<Department[]>([]);
  const [sizes, setSizes] = useState<Record<string, string>>({});
  const [address, setAddress] = useState({ line1: "", line2: "", city: "", state: "", postalCode: "", country: "" });

  useEffect(() => {
    const data = profile.data;
    if (!data) return;
    setBudget(data.monthlyBudget ? String(data.monthlyBudget.amountMinor / 100) : "");
    setGoals(data.goals.join("\n"));
    setTags(data.styleTags.join(", "));
    setDepartments(data.departments);
    setSizes(Object.fromEntries(Object.entries(data.sizes).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)])));
    if (data.address) setAddress({ ...data.address, line2: data.address.line2 ?? "" });
  }, [profile.data]);

  if (profile.isPending) return <p role="status">Loading your profile…</p>;
  if (profile.isError) return <p role="alert">Could not load your profile: {appErrorOf(profile.error)?.message}</p>;

  const onBudget = (e: FormEvent) => {
    e.preventDefault();
    saveBudget.mutate({
      monthlyBudget: budget.trim() === "" ? Number.NaN : Number(budget),
      goals: splitList(goals, /\n/),
      styleTags: splitList(tags, /,/),
      departments,
    });
  };
  const onSizes = (e: FormEvent) => {
    e.preventDefault();
    const entries = Object.entries(sizes).filter(([, v]) => v.trim() !== "");
    saveSizes.mutate({ sizes: Object.fromEntries(entries.map(([k, v]) => [k, v.trim()])) });
  };
  const onAddress = (e: FormEvent) => {
    e.preventDefault();
    const { line2, ...rest } = address;
    saveAddress.mutate({ address: line2.trim() ? { ...rest, line2 } : rest });
  };

  return (
    <div className="profile-grid">
      <form className="card" onSubmit={onBudget} aria-labelledby="budget-heading">
        <h2 id="budget-heading">Budget and style</h2>
        <Field label="Monthly budget (USD)" id="budget" issues={appErrorOf(saveBudget.error)?.issues} field="monthlyBudget">
          <input id="budget" name="budget" inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} />
        </Field>
        <Field label="Goals (one per line)" id="goals" issues={appErrorOf(saveBudget.error)?.issues} field="goals">
          <textarea id="goals" name="goals" rows={3} value={goals} onChange={(e) => setGoals(e.target.value)} />
        </Field>
        <Field label="Style tags (comma separated)" id="tags" issues={appErrorOf(saveBudget.error)?.issues} field="styleTags">
          <input id="tags" name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
        </Field>
        <p className="chips" aria-label="Suggested style tags">
          {SUGGESTED_TAGS.map((tag) => (
            <button
              type="button"
              key={tag}
              className="chip"
              onClick={() => setTags((current) => (splitList(current, /,/).includes(tag) ? current : [...splitList(current, /,/), tag].join(", ")))}
            >
              + {tag}
            </button>
          ))}
        </p>
        <fieldset className="departments">
          <legend>I shop for (plans use these and unisex; none ticked: everything)</legend>
          {DEPARTMENT_CHOICES.map((d) => (
            <label key={d}>
              <input
                type="checkbox"
                checked={departments.includes(d)}
                onChange={(e) => setDepartments((current) => (e.target.checked ? [...current, d] : current.filter((x) => x !== d)))}
              />{" "}
              {d}
            </label>
          ))}
        </fieldset>
        <SaveRow pending={saveBudget.isPending} saved={saveBudget.isSuccess} error={appErrorOf(saveBudget.error)?.message} label="Save budget and style" />
      </form>

      <form className="card" onSubmit={onSizes} aria-labelledby="sizes-heading">
        <h2 id="sizes-heading">Sizes</h2>
        {SIZE_NAMES.map((name) => (
          <Field key={name} label={`${name[0]!.toUpperCase()}${name.slice(1)} size`} id={`size-${name}`} issues={appErrorOf(saveSizes.error)?.issues} field={`sizes.${name}`}>
            <input id={`size-${name}`} value={sizes[name] ?? ""} onChange={(e) => setSizes((s) => ({ ...s, [name]: e.target.value }))} />
          </Field>
        ))}
        <SaveRow pending={saveSizes.isPending} saved={saveSizes.isSuccess} error={appErrorOf(saveSizes.error)?.message} label="Save sizes" />
      </form>

      <form className="card" onSubmit={onAddress} aria-labelledby="address-heading">
        <h2 id="address-heading">Shipping address</h2>
        {(
          [
            ["line1", "Address line 1"],
            ["line2", "Address line 2 (optional)"],
            ["city", "City"],
            ["state", "State or region"],
            ["postalCode", "Postal code"],
            ["country", "Country (two-letter code, e.g. US)"],
          ] as const
        ).map(([key, label]) => (
          <Field key={key} label={label} id={`address-${key}`} issues={appErrorOf(saveAddress.error)?.issues} field={`address.${key}`}>
            <input id={`address-${key}`} value={address[key]} onChange={(e) => setAddress((a) => ({ ...a, [key]: e.target.value }))} />
          </Field>
        ))}
        <SaveRow pending={saveAddress.isPending} saved={saveAddress.isSuccess} error={appErrorOf(saveAddress.error)?.message} label="Save address" />
      </form>
    </div>
  );
}

function Field(props: {
  label: string;
  id: string;
  field: string;
  issues?: Array<{ field: string; message: string }>;
  children: ReactElement<{ "aria-invalid"?: boolean; "aria-describedby"?: string }>;
}) {
  const issue = props.issues?.find((i) => i.field === props.field || i.field.startsWith(`${props.field}.`));
  return (
    <div className={issue ? "field invalid" : "field"}>
      <label htmlFor={props.id}>{props.label}</label>
      {issue ? cloneElement(props.children, { "aria-invalid": true, "aria-describedby": `${props.id}-error` }) : props.children}
      {issue ? (
        <p className="field-error" id={`${props.id}-error`} role="alert">
          {issue.message}
        </p>
      ) : null}
    </div>
  );
}

function SaveRow({ pending, saved, error, label }: { pending: boolean; saved: boolean; error?: string; label: string }) {
  return (
    <div className="save-row">
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Saving…" : label}
      </button>
      <span role="status" aria-live="polite" className={error ? "status error" : "status"}>
        {error ? error : saved ? "Saved" : ""}
      </span>
    </div>
  );
}
