/**
 * PodIdentityProvider contains the list of providers
 */
export type IPodIdentityProvider = string;
export type PodIdentityProvider = IPodIdentityProvider;
export type { IPodIdentityProvider as IComGithubKedacoreKedaV2ApisKedaV1alpha1PodIdentityProvider, PodIdentityProvider as ComGithubKedacoreKedaV2ApisKedaV1alpha1PodIdentityProvider };
