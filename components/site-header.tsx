import Link from "next/link";

export function SiteHeader({ user, devMode }: { user: { name?: string; email?: string } | null; devMode: boolean }) {
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Stylist
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <Link href="/catalog">Catalog</Link>
          </li>
          <li>
            <Link href="/map">Style map</Link>
          </li>
          <li>
            <Link href="/profile">Profile</Link>
          </li>
          <li>
            <Link href="/plans">Plans</Link>
          </li>
          <li>
            <Link href="/orders">Orders</Link>
          </li>
          <li>
            <Link href="/photos">Photos</Link>
          </li>
          <li>
            <Link href="/consent">Consent</Link>
          </li>
          <li>
            {user ? (
              devMode ? (
                <form action="/api/dev/signout" method="post">
                  <button type="submit" className="link-button">
                    Sign out
                  </button>
                </form>
              ) : (
                <a href="/auth/logout">Sign out</a>
              )
            ) : (
              <Link href="/signin">Sign in</Link>
            )}
          </li>
        </ul>
      </nav>
      {user ? <span className="who">Signed in as {user.name ?? user.email}</span> : null}
    </header>
  );
}
