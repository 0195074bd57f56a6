export const LIST_PATH = "/settings/mta/outbound/tls-strategies";
export const CREATE_PATH = `${LIST_PATH}/new`;
export const editPath = (id: string) => `${LIST_PATH}/${encodeURIComponent(id)}`;
export const duplicatePath = (id: string) => `${CREATE_PATH}?from=${encodeURIComponent(id)}`;
