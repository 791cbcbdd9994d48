import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthTargetRef } from "./AuthTargetRef.js";
/**
 * AuthSecretTargetRef is used to authenticate using a reference to a secret
 */
export type IAuthSecretTargetRef = IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthTargetRef;
export type AuthSecretTargetRef = IAuthSecretTargetRef;
export type { IAuthSecretTargetRef as IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthSecretTargetRef, AuthSecretTargetRef as ComGithubKedacoreKedaV2ApisKedaV1alpha1AuthSecretTargetRef };
