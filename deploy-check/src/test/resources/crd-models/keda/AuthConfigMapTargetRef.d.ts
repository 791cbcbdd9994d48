import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthTargetRef } from "./AuthTargetRef.js";
/**
 * AuthConfigMapTargetRef is used to authenticate using a reference to a config map
 */
export type IAuthConfigMapTargetRef = IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthTargetRef;
export type AuthConfigMapTargetRef = IAuthConfigMapTargetRef;
export type { IAuthConfigMapTargetRef as IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthConfigMapTargetRef, AuthConfigMapTargetRef as ComGithubKedacoreKedaV2ApisKedaV1alpha1AuthConfigMapTargetRef };
