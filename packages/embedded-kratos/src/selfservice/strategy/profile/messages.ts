import type { UiText } from "../../../ui/messages";

/** The profile strategy's texts (Kratos text/message_registration.go). */
export const profileMessages = {
  back: (): UiText => ({ id: 1040008, text: "Back", type: "info" }),
  chooseCredentials: (): UiText => ({ id: 1040009, text: "Please choose a credential to authenticate yourself with.", type: "info" }),
};
