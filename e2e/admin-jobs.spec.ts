import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { readDatabase } from "./support/database";
import { E2E_ADMIN_PASSWORD, signIn, uniqueShopper } from "./support/shop";

/** The job tables, read straight from the rows to check the panel against. */
function jobsFromDatabase(orderIds: string[] = []) {
  return readDatabase((db) => {
    const one = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T;
    const marks = orderIds.map(() => "?").join(",") || "NULL";
    return {
      unsettled: one<{ n: number }>(`SELECT COUNT(*) AS n FROM "Job" WHERE state IN ('PENDING', 'RUNNING')`).n,
      absorbed: one<{ n: number }>(`SELECT COALESCE(SUM(absorbed), 0) AS n FROM "Job"`).n,
      emails: one<{ n: number }>(`SELECT COUNT(*) AS n FROM "SentEmail"`).n,
      modelCalls: one<{ n: number }>(`SELECT COUNT(*) AS n FROM "ModelCall"`).n,
      ofOrders: db
        .prepare(`SELECT state, attempts FROM "Job" WHERE "orderId" IN (${marks}) ORDER BY type`)
        .all(...orderIds) as { state: string; attempts: number }[],
    };
  });
}

async function paidOrder(shopper: APIRequestContext, productId: string): Promise<string> {
  const res = await shopper.post("/api/trpc/checkout.placeOrder", {
    data: { idempotencyKey: randomUUID(), items: [{ productId, quantity: 1 }], payment: { token: "tok_visa" } },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).result.data.orderId as string;
}

test("job faults from the dashboard: redeliveries are absorbed, a worker crash mid-job costs nothing twice", async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  const shopper = await playwright.request.newContext({ baseURL });
  expect((await shopper.post("/api/trpc/session.signIn", { data: { name: `jobs-${Date.now()}` } })).status()).toBe(200);
  // Three paid orders: six jobs, so at least five succeeded ones exist even when this spec runs alone.
  const first = [
    await paidOrder(shopper, "green-tea"),
    await paidOrder(shopper, "almond-biscotti"),
    await paidOrder(shopper, "espresso-beans"),
  ];
  // The in-app worker delivers the outbox within a second or two.
  await expect.poll(() => jobsFromDatabase().unsettled).toBe(0);

  await signIn(page, uniqueShopper("admin"), E2E_ADMIN_PASSWORD);
  await page.goto("/admin");
  const panel = page.getByTestId("jobs-panel");
  const controls = panel.getByTestId("job-fault-controls");
  await expect(panel.getByTestId("jobs-absorbed")).toHaveText(String(jobsFromDatabase().absorbed));

  // 1. A broker that lost its acknowledgements redelivers succeeded jobs: every one is absorbed.
  const before = jobsFromDatabase();
  await controls.getByRole("button", { name: "Redeliver the 5 newest succeeded jobs" }).click();
  await expect(controls.getByTestId("job-fault-message")).toContainText("put back for redelivery");
  const redelivered = Number((await controls.getByTestId("job-fault-message").textContent())?.match(/\d+/)?.[0]);
  expect(redelivered).toBe(5);
  await expect.poll(() => jobsFromDatabase().absorbed).toBe(before.absorbed + redelivered);
  const afterRedelivery = jobsFromDatabase();
  expect(afterRedelivery).toMatchObject({ unsettled: 0, emails: before.emails, modelCalls: before.modelCalls });
  await expect(panel.getByTestId("jobs-absorbed")).toHaveText(String(afterRedelivery.absorbed));
  expect(jobsFromDatabase(first).ofOrders.every((j) => j.state === "SUCCEEDED")).toBe(true);

  // 2. The next delivery crashes after its effect (e-mail sent), before recording it: the lease expires,
  //    the job is redelivered, and the inbox/mailer key make sure the shopper still gets one e-mail.
  await controls.getByLabel(/Crash mid-job/).check();
  // The Deliveries field can be cleared and retyped (it once turned "5" into "15"); empty refuses to arm.
  const deliveries = controls.getByLabel("Deliveries");
  await deliveries.fill("");
  await expect(controls.getByRole("button", { name: "Arm", exact: true })).toBeDisabled();
  await deliveries.pressSequentially("5");
  await expect(deliveries).toHaveValue("5");
  await deliveries.fill("1");
  await controls.getByRole("button", { name: "Arm", exact: true }).click();
  await expect(controls.getByTestId("job-fault-armed")).toContainText("crash-before-save for the next 1 delivery");
  const crashed = await paidOrder(shopper, "ceramic-mug");
  await expect(controls.getByTestId("job-fault-armed")).toHaveText("No job fault armed.");
  await expect
    .poll(() => jobsFromDatabase([crashed]).ofOrders.map((j) => j.state), { timeout: 30_000 })
    .toEqual(["SUCCEEDED", "SUCCEEDED"]);
  const end = jobsFromDatabase([crashed]);
  expect(end.ofOrders.reduce((n, j) => n + j.attempts, 0)).toBe(3); // two jobs, one delivery crashed
  expect(end.emails).toBe(afterRedelivery.emails + 1);
  expect(end.modelCalls).toBe(afterRedelivery.modelCalls + 1);
  await shopper.dispose();

  const shot = testInfo.outputPath("jobs-panel.png");
  await panel.screenshot({ path: shot });
  await testInfo.attach("jobs-panel", { path: shot, contentType: "image/png" });
});
