import { useNavigate } from "react-router";
import { useJmapClient } from "../../app/auth";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { LIST_PATH } from "./paths";
import { useCreateTlsStrategy } from "./queries";
import { toFormValues } from "./schema";
import { TlsStrategyForm } from "./tls-strategy-form";

export function TlsStrategyCreatePage() {
  const client = useJmapClient();
  const navigate = useNavigate();
  const create = useCreateTlsStrategy(client);

  return (
    <section aria-labelledby="create-heading">
      <title>Create strategy · TLS Strategies · Stalwart</title>
      <h2 id="create-heading">Create strategy</h2>
      <TlsStrategyForm
        mode="create"
        defaultValues={toFormValues(null)}
        permission={TLS_STRATEGY_PERMISSIONS.create}
        onSubmit={async (values) => {
          await create.mutateAsync(values);
          navigate(LIST_PATH, { state: { notice: `Created “${values.name}”.` } });
        }}
      />
    </section>
  );
}
