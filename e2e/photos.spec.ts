import { expect, test } from "@playwright/test";
import { photoFixtures } from "../tests/support/photos";
import { appUrl, signIn } from "./support";

/**
 * The data controls as a user meets them: grant consent, upload a full-body photo on the portal, see it
 * approved (by the real pose model on the server), see a cropped one rejected with its reason, delete
 * everything, see nothing left, withdraw consent and find both changes in the history.
 */
test("consent, upload, approval, deletion and withdrawal on the site", async ({ page }) => {
  const fixtures = await photoFixtures();
  await signIn(page, "erin");

  await page.goto(`${appUrl()}/consent`);
  await expect(page.getByRole("heading", { name: "Processing your photos" })).toBeVisible();
  await expect(page.getByTestId("consent-state-photo_processing")).toHaveText("Not granted");
  await page.getByRole("region", { name: "Processing your photos" }).getByRole("button", { name: "I agree: grant consent" }).click();
  await expect(page.getByTestId("consent-state-photo_processing")).toContainText("Granted on this site");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Photos" }).click();
  await expect(page.getByRole("heading", { name: "Your photos", level: 1 })).toBeVisible();
  await page.getByLabel("Choose photos to upload").setInputFiles([
    { name: "me.jpg", mimeType: "image/jpeg", buffer: fixtures.fullBody },
    { name: "knees.jpg", mimeType: "image/jpeg", buffer: fixtures.kneesUp },
  ]);
  await expect(page.getByRole("status").filter({ hasText: "1 of 2 photos approved." })).toBeVisible({ timeout: 20_000 });
  const approved = page.locator(".photo.approved");
  await expect(approved).toHaveCount(1);
  await expect(approved.getByText("Primary photo for try-on")).toBeVisible();
  const img = approved.locator("img");
  await expect(img).toBeVisible();
  expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  await expect(page.locator(".photo.rejected")).toContainText("ankle is not in the frame");
  await page.screenshot({ path: "test-results/photos-portal.png", fullPage: true });

  await page.getByRole("button", { name: "Delete this set" }).click();
  await expect(page.getByText("You have no photos with us.")).toBeVisible();

  await page.goto(`${appUrl()}/consent`);
  await page.getByRole("region", { name: "Processing your photos" }).getByRole("button", { name: "Withdraw consent" }).click();
  await expect(page.getByTestId("consent-state-photo_processing")).toContainText("Withdrawn");
  const history = page.getByRole("region", { name: "History" }).getByRole("row");
  await expect(history).toHaveCount(3);
  await expect(history.nth(1)).toContainText("Withdrawn");
  await expect(history.nth(2)).toContainText("Granted");
  await page.screenshot({ path: "test-results/consent.png", fullPage: true });

  // Without consent the portal asks for it before any upload.
  await page.goto(`${appUrl()}/photos`);
  await expect(page.getByLabel("Choose photos to upload")).toBeDisabled();
});
