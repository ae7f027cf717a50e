import Link from "next/link";

export default function HomePage() {
  return (
    <section className="hero">
      <h1>Your stylist, in ChatGPT.</h1>
      <p>
        Keep your sizes, budget and style in one place, search the catalog, and approve what you buy. Connect
        Stylist in ChatGPT, or manage everything here.
      </p>
      <p className="actions">
        <Link className="button" href="/profile">
          Edit your profile
        </Link>
        <Link className="button secondary" href="/catalog">
          Browse the catalog
        </Link>
      </p>
    </section>
  );
}
